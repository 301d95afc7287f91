using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Azure.Email;
using Pipeline.Core.Mail;
using Pipeline.Core.Storage;
using Pipeline.Functions.Hosting;

namespace Pipeline.Functions.Tests;

/// <summary>The app's composition picks the mailer <c>Pipeline__Mail</c> names and validates its settings at start.</summary>
public sealed class MailCompositionTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> mail)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Pipeline:SubjectIdSecret"] = Convert.ToBase64String(new byte[32]),
            ["Pipeline:KeyVaultUri"] = "https://unused.vault.azure.net/",
            ["Pipeline:ServiceBusNamespace"] = "unused.servicebus.windows.net",
            ["Pipeline:AdminTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["Pipeline:AdminAudience"] = "api://credential-pipeline-admin",
        };
        foreach (var (key, value) in mail)
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddAzurePipeline(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Mail_Smtp_resolves_the_SMTP_mailer_with_the_Smtp_settings()
    {
        using var services = Compose(new()
        {
            ["Pipeline:Mail"] = "Smtp",
            ["Smtp:Host"] = "smtp.example.edu",
            ["Smtp:Port"] = "465",
            ["Smtp:Security"] = "SslOnConnect",
        });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<SmtpMailer>(services.GetRequiredService<IMailer>());
        var smtp = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        Assert.Equal(("smtp.example.edu", 465, SmtpSecurity.SslOnConnect), (smtp.Host, smtp.Port, smtp.Security));
    }

    [Fact]
    public void Without_Mail_the_app_sends_through_Communication_Services()
    {
        using var services = Compose(new() { ["Pipeline:AcsEndpoint"] = "https://badges-acs.unitedstates.communication.azure.com/" });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<AcsEmailMailer>(services.GetRequiredService<IMailer>());
    }

    [Fact]
    public void Mail_Smtp_without_a_host_fails_at_start_naming_the_setting()
    {
        using var services = Compose(new() { ["Pipeline:Mail"] = "Smtp" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(nameof(SmtpOptions.Host), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mail_Acs_without_an_endpoint_fails_at_start_naming_the_setting()
    {
        using var services = Compose(new() { ["Pipeline:Mail"] = "Acs" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Pipeline:AcsEndpoint", error.Message, StringComparison.Ordinal);
    }
}
