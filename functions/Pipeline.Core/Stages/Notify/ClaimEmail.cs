using System.Globalization;
using System.Text.Encodings.Web;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Notify;

/// <summary>The claim email: an HTML and a plain-text body with the badge inline and the claim link. Everything learner- or catalog-supplied is encoded.</summary>
public static class ClaimEmail
{
    public const string BadgeContentId = "badge";

    public static EmailMessage Compose(
        string credentialId, Issuer issuer, Achievement achievement, LearnerProfile learner,
        Uri claimUrl, DateTimeOffset linkExpiresAt, ReadOnlyMemory<byte> bakedPng, string? fromAddress)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(achievement);
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(claimUrl);
        var html = HtmlEncoder.Default;
        var greeting = string.IsNullOrWhiteSpace(learner.GivenName) ? "Hello" : $"Hello {learner.GivenName.Trim()}";
        var expires = linkExpiresAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var verifyUrl = issuer.Urls.Credential(credentialId);

        var text = $"""
            {greeting},

            {issuer.Name} has awarded you the badge "{achievement.Name}".

            {achievement.Description}

            Claim your badge, download it and add it to your LinkedIn profile:
            {claimUrl.AbsoluteUri}

            This link works until {expires}. Anyone can check your badge at:
            {verifyUrl.AbsoluteUri}

            The badge image attached to this email carries the signed credential itself.

            -- 
            {issuer.Name} <{issuer.Email}>
            """;

        var body = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.Encode(achievement.Name)}</title></head>
            <body style="margin:0;padding:0;background:#f4f5f7;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2933;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;"><tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;">
            <tr><td style="padding:32px 32px 8px;text-align:center;">
            <img src="cid:{BadgeContentId}" width="160" height="160" alt="{html.Encode(achievement.ImageCaption ?? achievement.Name)}" style="display:block;margin:0 auto;">
            </td></tr>
            <tr><td style="padding:8px 32px;">
            <p style="font-size:16px;line-height:1.5;margin:0 0 12px;">{html.Encode(greeting)},</p>
            <h1 style="font-size:22px;line-height:1.3;margin:0 0 12px;">You earned &ldquo;{html.Encode(achievement.Name)}&rdquo;</h1>
            <p style="font-size:16px;line-height:1.5;margin:0 0 12px;">{html.Encode(issuer.Name)} has awarded you this badge.</p>
            <p style="font-size:15px;line-height:1.5;margin:0 0 20px;color:#3e4c59;">{html.Encode(achievement.Description)}</p>
            <p style="text-align:center;margin:0 0 20px;"><a href="{html.Encode(claimUrl.AbsoluteUri)}" style="display:inline-block;background:#0b5cad;color:#ffffff;text-decoration:none;font-weight:600;font-size:16px;padding:12px 24px;border-radius:6px;">Claim your badge</a></p>
            <p style="font-size:14px;line-height:1.5;margin:0 0 12px;color:#52606d;">This link works until {html.Encode(expires)}. Anyone can check your badge at <a href="{html.Encode(verifyUrl.AbsoluteUri)}" style="color:#0b5cad;">{html.Encode(verifyUrl.AbsoluteUri)}</a>.</p>
            <p style="font-size:14px;line-height:1.5;margin:0 0 24px;color:#52606d;">The badge image in this email carries the signed credential itself.</p>
            </td></tr>
            <tr><td style="padding:16px 32px 32px;border-top:1px solid #e4e7eb;font-size:13px;color:#7b8794;">{html.Encode(issuer.Name)} &middot; <a href="mailto:{html.Encode(issuer.Email)}" style="color:#7b8794;">{html.Encode(issuer.Email)}</a></td></tr>
            </table></td></tr></table>
            </body>
            </html>
            """;

        return new EmailMessage
        {
            MessageId = $"{credentialId}@{issuer.PublicBaseUrl.Host}",
            From = new EmailAddress(string.IsNullOrWhiteSpace(fromAddress) ? issuer.Email : fromAddress, issuer.Name),
            To = new EmailAddress(learner.Email, string.IsNullOrWhiteSpace(learner.DisplayName) ? null : learner.DisplayName),
            Subject = $"You earned the {achievement.Name} badge from {issuer.Name}",
            HtmlBody = body,
            TextBody = text,
            InlineImages = [new InlineImage(BadgeContentId, $"{achievement.Id}.png", "image/png", bakedPng)],
        };
    }
}
