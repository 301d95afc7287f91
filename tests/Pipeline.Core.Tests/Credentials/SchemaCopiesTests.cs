using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Credentials;

public sealed class SchemaCopiesTests
{
    [Theory]
    [InlineData("ob_v3p0_achievementcredential_schema.json")]
    [InlineData("ob_v3p0_endorsementcredential_schema.json")]
    [InlineData("ob_v3p0_profile_schema.json")]
    public void Embedded_schema_is_the_standards_file(string name)
    {
        Assert.Equal(File.ReadAllText(RepositoryPaths.Standard("ob3", "schemas", name)), CredentialSchemas.ReadText(name));
    }
}
