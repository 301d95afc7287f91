namespace Pipeline.Core.Signing;

/// <summary>JOSE algorithms an issuer may sign with. RS256 is the OB 3.0 interop minimum and the default.</summary>
public enum SigningAlgorithm
{
    RS256,
    ES256,
}

/// <summary>Which key signs for an issuer: a name the signer port resolves (a JWK file, a Key Vault key) and its algorithm.</summary>
public sealed record SigningKeyReference(string KeyName, SigningAlgorithm Algorithm);
