using System.Text.Json.Nodes;

namespace Interop.Tests.Chaos;

/// <summary>One answer of the API as <see cref="ApiProbe"/> saw it; <see cref="Json"/> only for a success.</summary>
public sealed record ApiAnswer(int? Status, string Outcome, JsonNode? Json, string Body)
{
    public bool Ok => Status is >= 200 and < 300 && Json is not null;
}
