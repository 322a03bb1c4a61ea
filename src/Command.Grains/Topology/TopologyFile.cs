namespace Command.Grains.Topology;

/// <summary>The JSON shape of a topology file (see samples/topology/foshan.json).</summary>
internal sealed class TopologyFile
{
    public string? SipDomain { get; set; }

    public List<RegionEntry>? Regions { get; set; }

    public List<VenueEntry>? Venues { get; set; }

    public List<FeedEntry>? Feeds { get; set; }

    internal sealed class RegionEntry
    {
        public string? Code { get; set; }

        public string? Name { get; set; }

        public string? Level { get; set; }

        public string? ParentCode { get; set; }

        public string? CommandVenueId { get; set; }

        /// <summary>Optional: the backup venue that stands in first for a failed venue of this region.</summary>
        public string? BackupVenueId { get; set; }
    }

    internal sealed class VenueEntry
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? RegionCode { get; set; }

        public string? Kind { get; set; }

        public string? SipUser { get; set; }

        public string? SipPassword { get; set; }

        public string? SipDigest { get; set; }
    }

    internal sealed class FeedEntry
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Url { get; set; }

        public string? Owner { get; set; }

        public string? RegionCode { get; set; }
    }
}
