namespace Pipeline.Core.Stages.Issue;

/// <summary>
/// The deployment's secret for pseudonymous subject ids (<c>credentialSubject.id</c>): an HMAC key, at least 16
/// bytes, that must never change once credentials are issued (a new secret gives every learner new subject ids).
/// The embedded host keeps it in a file beside the keys; Azure reads it from configuration.
/// </summary>
public sealed class IssuanceSecrets
{
    public IssuanceSecrets(ReadOnlyMemory<byte> subjectIdSecret)
    {
        if (subjectIdSecret.Length < 16)
        {
            throw new ArgumentException($"The subject-id secret must be at least 16 bytes; found {subjectIdSecret.Length}.", nameof(subjectIdSecret));
        }
        SubjectIdSecret = subjectIdSecret;
    }

    public ReadOnlyMemory<byte> SubjectIdSecret { get; }
}
