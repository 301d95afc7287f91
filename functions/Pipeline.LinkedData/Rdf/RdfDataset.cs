namespace Pipeline.LinkedData.Rdf;

/// <summary>An RDF dataset as a set of quads, in the order they were added (duplicates are kept out).</summary>
public sealed class RdfDataset
{
    private readonly List<Quad> quads = [];
    private readonly HashSet<Quad> seen = [];

    public IReadOnlyList<Quad> Quads => quads;

    public int Count => quads.Count;

    /// <summary>Adds the quad unless the dataset holds it already; true when it was added.</summary>
    public bool Add(Quad quad)
    {
        ArgumentNullException.ThrowIfNull(quad);
        if (!seen.Add(quad))
        {
            return false;
        }
        quads.Add(quad);
        return true;
    }
}
