using Pipeline.Core.Catalog;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Ingest;

public sealed class SisMapLoaderTests
{
    [Fact]
    public void Shipped_maps_load_without_errors()
    {
        var result = SisMapLoader.Load(Path.Combine(RepositoryPaths.Samples, "catalog", "sis-maps"));

        Assert.Empty(result.Errors);
        Assert.Equal(["banner", "canvas", "generic"], result.Maps.Select(m => m.Name));
        var banner = result.Maps[0];
        Assert.Equal(["SHRTCKN_SUBJ_CODE", "SHRTCKN_CRSE_NUMB"], banner.Activity.Columns);
        Assert.Equal("America/New_York", banner.CompletedAt.TimeZone.Id);
    }

    [Fact]
    public void Every_error_is_listed_with_file_pointer_expected_and_found()
    {
        const string json = """
            {
              "name": "other",
              "delimiter": "|",
              "columns": { "email": 5, "colour": "x" },
              "activity": { "columns": ["a"], "value": "CS101" },
              "completedAt": { "column": "d", "formats": ["yyyy-MM-dd"], "timeZone": "Eastern" },
              "outcome": { "column": "o", "passingScore": "70" }
            }
            """;

        var result = SisMapLoader.Parse("catalog/sis-maps/bad.json", "bad", json);

        Assert.Empty(result.Maps);
        Assert.Equal(
        [
            "catalog/sis-maps/bad.json /name: expected \"bad\" (the file name without .json), found \"other\"",
            "catalog/sis-maps/bad.json /delimiter: expected \",\", \";\" or \"tab\", found \"|\"",
            "catalog/sis-maps/bad.json /columns/colour: expected one of the properties learnerId, email, givenName, familyName, fullName, grade, score, found an unknown property \"colour\"",
            "catalog/sis-maps/bad.json /columns/learnerId: expected a string: the learner id column, found nothing",
            "catalog/sis-maps/bad.json /columns/email: expected a string, found the number 5",
            "catalog/sis-maps/bad.json /activity: expected exactly one of \"columns\" (a non-empty list) or \"value\", found both",
            "catalog/sis-maps/bad.json /completedAt/timeZone: expected an IANA time zone like \"America/New_York\", found \"Eastern\"",
            "catalog/sis-maps/bad.json /outcome/values: expected the cell values of the outcome column and their outcomes, like { \"P\": \"passed\" }, found none",
            "catalog/sis-maps/bad.json /outcome/passingScore: expected a number, found \"70\"",
            "catalog/sis-maps/bad.json /outcome/passingScore: expected a score column (/columns/score) to compare with, found none",
        ],
        result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Malformed_json_is_one_error_with_its_position()
    {
        var result = SisMapLoader.Parse("m.json", "m", "{ \"name\": ");

        var error = Assert.Single(result.Errors);
        Assert.Equal("valid JSON", error.Expected);
        Assert.StartsWith("a syntax error at line 1", error.Found, StringComparison.Ordinal);
    }
}
