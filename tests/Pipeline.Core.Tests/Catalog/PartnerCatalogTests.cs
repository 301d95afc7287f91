using Pipeline.Core.Catalog;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Catalog;

public sealed class PartnerCatalogTests
{
    [Fact]
    public void The_sample_catalog_has_a_partner_per_payload_shape()
    {
        var partners = SampleCatalog.Catalog.Partners;

        Assert.Equal(PartnerPayload.Pipeline, partners["northwind-bootcamp"].Payload);
        Assert.Equal(PartnerPayload.Caliper, partners["arizona-lms"].Payload);
        Assert.Equal(PartnerPayload.Moodle, partners["umaine-moodle"].Payload);
        Assert.Equal("CRS200", partners["arizona-lms"].Activities.Resolve("https://lms.arizona.example.edu/assessments/crs200-practical"));
        Assert.Equal("moodle-42", partners["umaine-moodle"].Learners.Resolve("42"));
        Assert.All(partners.Values.SelectMany(p => p.Activities.Map.Values), a => Assert.True(SampleCatalog.Catalog.IsPathwayActivity(a), a));
    }

    [Fact]
    public void Partner_errors_are_folded_into_the_catalog_errors_with_their_pointers()
    {
        using var folder = new CatalogFolder()
            .Write("partners/lms.json", """{ "id": "other", "name": "LMS", "payload": "scorm", "learners": { "map": { "1": 7 } }, "secret": "x" }""");

        var errors = CatalogLoader.Load(folder.Path).Errors.Where(e => e.File == "partners/lms.json").ToList();

        Assert.Contains(errors, e => e.JsonPointer == "/id" && e.Found == "\"other\"");
        Assert.Contains(errors, e => e.JsonPointer == "/payload" && e.Found == "\"scorm\"");
        Assert.Contains(errors, e => e.JsonPointer == "/learners/map/1" && e.Code == CatalogErrorCode.WrongType);
        Assert.Contains(errors, e => e.JsonPointer == "/secret" && e.Code == CatalogErrorCode.UnknownField);
    }

    [Theory]
    [InlineData("https://lms.example.edu/users/42", "u-42")]
    [InlineData("42", "u-42")]
    public void Resolve_strips_the_prefix_then_prefixes(string partnerId, string expected) =>
        Assert.Equal(expected, new PartnerIdMapping { StripPrefix = "https://lms.example.edu/users/", Prefix = "u-" }.Resolve(partnerId));

    [Fact]
    public void Resolve_with_a_map_knows_only_the_mapped_ids()
    {
        var mapping = new PartnerIdMapping { Map = new Dictionary<string, string> { ["7"] = "LDR110" } };

        Assert.Equal("LDR110", mapping.Resolve("7"));
        Assert.Null(mapping.Resolve("8"));
    }
}
