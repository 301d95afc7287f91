using Pipeline.LinkedData.Rdf;

namespace Pipeline.LinkedData.Tests.Rdf;

public sealed class RdfDatasetTests
{
    [Fact]
    public void A_quad_is_held_once_and_in_the_order_added()
    {
        var dataset = new RdfDataset();
        var first = new Quad(RdfTerm.BlankNode("b0"), RdfTerm.Iri("http://example.org/p"), RdfTerm.Literal("x"));
        var second = new Quad(RdfTerm.Iri("http://example.org/s"), RdfTerm.Iri("http://example.org/p"), RdfTerm.Literal("x", language: "en"));

        Assert.True(dataset.Add(first));
        Assert.True(dataset.Add(second));
        Assert.False(dataset.Add(new Quad(RdfTerm.BlankNode("b0"), RdfTerm.Iri("http://example.org/p"), RdfTerm.Literal("x", RdfTerm.XsdString))));

        Assert.Equal([first, second], dataset.Quads);
        Assert.Equal(RdfTerm.RdfLangString, second.Object.Datatype);
    }
}
