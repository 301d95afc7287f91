using System.ComponentModel.DataAnnotations;

namespace Pipeline.Core.Mail;

/// <summary>How TLS is used on the SMTP connection.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a local relay or a test server).</summary>
    None,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>STARTTLS, required (port 587).</summary>
    StartTls,
    /// <summary>STARTTLS when the server offers it.</summary>
    StartTlsWhenAvailable,
}

/// <summary>The institution's SMTP relay; a user name and password are given together or not at all.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    [Required]
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(UserName)} and {SectionName}:{nameof(Password)} must be set together.",
                [nameof(UserName), nameof(Password)]);
        }
    }
}
