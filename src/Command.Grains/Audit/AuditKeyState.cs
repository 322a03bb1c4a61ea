namespace Command.Grains.Audit;

/// <summary>The audit signing key made on first use when none is configured; stored apart from the entries.</summary>
[GenerateSerializer]
public sealed class AuditKeyState
{
    [Id(0)]
    public byte[] Pkcs8 { get; set; } = [];
}
