using System.ComponentModel.DataAnnotations;

namespace Command.Contracts.Recordings;

/// <summary>Where and how recordings are written and how long they are kept, under <c>Command:Recording</c>; the bridge writes them, the web host serves them.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Command:Recording";

    /// <summary>The folder recordings go in, one folder per recording; unset, <c>recordings</c> under the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>Recording stops while the disk holding <see cref="Directory"/> has less free space than this, and resumes once it has more again.</summary>
    [Range(0, 10_000_000)]
    public long MinFreeMegabytes { get; set; } = 1024;

    /// <summary>The length of an HLS segment; a copied picture is cut at the keyframes nearest to it.</summary>
    [Range(1, 10)]
    public double SegmentSeconds { get; set; } = 2;

    /// <summary>The ffmpeg program that packages each recording.</summary>
    [Required]
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>How often the disk floor is checked and each part's length reported.</summary>
    [Range(0.2, 300)]
    public double CheckSeconds { get; set; } = 5;

    /// <summary>
    /// How long a recording is kept after it ended, in days (fractions allowed); then its files are deleted and it is
    /// gone from every list. The default is the six months logs must be kept; a recording still running never expires.
    /// </summary>
    [Range(0d, 36500d, MinimumIsExclusive = true)]
    public double RetentionDays { get; set; } = 180;

    /// <summary>How often recordings past <see cref="RetentionDays"/> are looked for and their folders deleted.</summary>
    [Range(0.2, 86400)]
    public double RetentionCheckSeconds { get; set; } = 3600;

    /// <summary><see cref="RetentionDays"/> as a period.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    /// <summary><see cref="RetentionCheckSeconds"/> as a period.</summary>
    public TimeSpan RetentionCheck => TimeSpan.FromSeconds(RetentionCheckSeconds);

    /// <summary>The recordings folder as configured, relative paths taken from <paramref name="contentRoot"/>.</summary>
    public string RootFor(string? dataDirectory, string contentRoot) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Directory) ? Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? "data" : dataDirectory, "recordings") : Directory, contentRoot);
}
