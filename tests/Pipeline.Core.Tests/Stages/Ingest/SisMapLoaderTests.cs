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

        var result = SisMapLoader.Parse("sis-maps/bad.json", json);

        Assert.Empty(result.Maps);
        Assert.Equal(
        [
            "sis-maps/bad.json /name: map name differs from its file name; expected \"bad\" (the file name without .json); found \"other\"",
            "sis-maps/bad.json /delimiter: unknown delimiter; expected \",\", \";\" or \"tab\"; found \"|\"",
            "sis-maps/bad.json /columns/colour: unknown field \"colour\"; expected one of learnerId, email, givenName, familyName, fullName, grade, score; found \"colour\"",
            "sis-maps/bad.json /columns/learnerId: missing required field \"learnerId\"; expected a string: the learner id column; found nothing",
            "sis-maps/bad.json /columns/email: wrong type; expected a string; found 5",
            "sis-maps/bad.json /activity: where the activity comes from is unclear; expected exactly one of \"columns\" (a non-empty list) or \"value\"; found both",
            "sis-maps/bad.json /completedAt/timeZone: unknown time zone; expected an IANA time zone like \"America/New_York\"; found \"Eastern\"",
            "sis-maps/bad.json /outcome/values: outcome column without values; expected the cell values of the outcome column and their outcomes, like { \"P\": \"passed\" }; found none",
            "sis-maps/bad.json /outcome/passingScore: wrong type; expected a number; found \"70\"",
            "sis-maps/bad.json /outcome/passingScore: passing score without a score column; expected a score column (/columns/score) to compare with; found none",
        ],
        result.Errors.Select(e => e.ToString()));
        Assert.Equal(
        [
            CatalogErrorCode.InvalidValue, CatalogErrorCode.InvalidValue, CatalogErrorCode.UnknownField, CatalogErrorCode.MissingField,
            CatalogErrorCode.WrongType, CatalogErrorCode.InvalidValue, CatalogErrorCode.InvalidValue, CatalogErrorCode.InvalidValue,
            CatalogErrorCode.WrongType, CatalogErrorCode.InvalidValue,
        ],
        result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Malformed_json_is_one_error_with_its_position()
    {
        var result = SisMapLoader.Parse("m.json", "{ \"name\": ");

        var error = Assert.Single(result.Errors);
        Assert.Equal(CatalogErrorCode.InvalidJson, error.Code);
        Assert.Equal("m.json", error.File);
        Assert.StartsWith("invalid JSON at line 1, position ", error.Message, StringComparison.Ordinal);
    }
}
