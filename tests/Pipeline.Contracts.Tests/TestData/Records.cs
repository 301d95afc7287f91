using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.TestData;

/// <summary>Valid example records for the ledger tests; vary them with <c>with</c>.</summary>
public static class Records
{
    public static readonly DateTimeOffset Time = new(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-5));

    public static CompletionEvent Completion(string learnerId = "S1001", string activityId = "CS101") => new()
    {
        Source = "sis:banner",
        LearnerId = learnerId,
        ActivityId = activityId,
        CompletedAt = Time,
        Outcome = CompletionOutcome.Passed,
        Grade = "B+",
        Score = 87.50m,
    };

    public static CredentialRecord Credential(string credentialId = "cred-1", string learnerId = "S1001") => new()
    {
        CredentialId = credentialId,
        IssuerId = "umaine",
        AchievementId = "robotics-1",
        LearnerId = learnerId,
        AwardedAt = Time,
        IssuedAt = Time.AddMinutes(1),
        StatusListId = "1",
        StatusListIndex = 42,
        RecipientSalt = "salt-1",
    };

    public static ClaimRecord Claim(string credentialId = "cred-1", string tokenHash = "hash-1") => new()
    {
        CredentialId = credentialId,
        TokenHash = tokenHash,
        ExpiresAt = Time.AddDays(30),
    };
}
