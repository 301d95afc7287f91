namespace Pipeline.LinkedData.Rdf;

/// <summary>The kinds of RDF term (RDF 1.1 Concepts §3).</summary>
public enum RdfTermKind
{
    Iri,
    BlankNode,
    Literal,
}

/// <summary>
/// An RDF term: an IRI, a blank node (its label without <c>_:</c>) or a literal (lexical form, datatype IRI and, for
/// <c>rdf:langString</c>, a language tag). Value equality; ordinal comparison of the parts.
/// </summary>
public sealed record RdfTerm
{
    public const string XsdString = "http://www.w3.org/2001/XMLSchema#string";
    public const string RdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

    private RdfTerm(RdfTermKind kind, string value, string? datatype, string? language)
    {
        Kind = kind;
        Value = value;
        Datatype = datatype;
        Language = language;
    }

    public RdfTermKind Kind { get; }

    /// <summary>The IRI, the blank node label (without <c>_:</c>) or the literal's lexical form.</summary>
    public string Value { get; }

    /// <summary>The literal's datatype IRI (<see cref="XsdString"/> when none was written); null for IRIs and blank nodes.</summary>
    public string? Datatype { get; }

    /// <summary>The literal's language tag, when its datatype is <see cref="RdfLangString"/>.</summary>
    public string? Language { get; }

    public bool IsIri => Kind == RdfTermKind.Iri;

    public bool IsBlankNode => Kind == RdfTermKind.BlankNode;

    public bool IsLiteral => Kind == RdfTermKind.Literal;

    public static RdfTerm Iri(string iri)
    {
        ArgumentNullException.ThrowIfNull(iri);
        return new RdfTerm(RdfTermKind.Iri, iri, null, null);
    }

    public static RdfTerm BlankNode(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return new RdfTerm(RdfTermKind.BlankNode, label, null, null);
    }

    public static RdfTerm Literal(string lexicalForm, string? datatype = null, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(lexicalForm);
        return language is null
            ? new RdfTerm(RdfTermKind.Literal, lexicalForm, datatype ?? XsdString, null)
            : new RdfTerm(RdfTermKind.Literal, lexicalForm, RdfLangString, language);
    }
}
