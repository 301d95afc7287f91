namespace Pipeline.LinkedData.Rdf;

/// <summary>
/// One statement of an RDF dataset: subject (IRI or blank node), predicate (IRI), object (any term) and graph name
/// (null for the default graph, else an IRI or blank node).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Object is the RDF name of the position.")]
public sealed record Quad(RdfTerm Subject, RdfTerm Predicate, RdfTerm Object, RdfTerm? Graph = null);
