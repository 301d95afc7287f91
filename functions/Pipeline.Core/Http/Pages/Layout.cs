namespace Pipeline.Core.Http.Pages;

/// <summary>The one page layout: mobile first, inline CSS, no script and no external asset.</summary>
internal static class Layout
{
    private const string Style = """
        *{box-sizing:border-box}
        body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;background:#f3f4f6}
        main,footer{max-width:42rem;margin:0 auto;padding:1rem 1.25rem}
        main{background:#fff}
        h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
        h2{font-size:1.2rem;margin:2rem 0 .5rem}
        a{color:#0a4ea8}
        a:focus,button:focus,input:focus{outline:3px solid #1a1a1a;outline-offset:2px}
        img.badge{display:block;width:100%;max-width:14rem;height:auto;margin:1rem auto}
        svg.qr{display:block;width:100%;max-width:12rem;height:auto;margin:.5rem 0}
        .verdict{padding:1rem;border:2px solid;border-radius:.5rem}
        .verdict strong{display:block;font-size:1.4rem}
        .verdict-valid{color:#0b5323;background:#e6f4ea;border-color:#0b5323}
        .verdict-revoked,.verdict-invalid{color:#8a1010;background:#fdecea;border-color:#8a1010}
        .verdict-expired{color:#5f3a00;background:#fff3dc;border-color:#5f3a00}
        .notice{padding:1rem;border-left:4px solid #8a1010;background:#fdecea}
        dl{margin:0}
        dt{font-weight:600;margin-top:.75rem}
        dd{margin:0}
        ul.checks{list-style:none;padding:0;margin:0}
        ul.checks li{border-top:1px solid #c9ced6;padding:.75rem 0}
        .outcome{font-weight:700}
        .passed{color:#0b5323}
        .failed{color:#8a1010}
        .skipped{color:#4a4f57}
        .button{display:inline-block;padding:.65rem 1rem;border-radius:.4rem;background:#0a4ea8;color:#fff;text-decoration:none;margin:.25rem .25rem .25rem 0}
        label{display:block;font-weight:600;margin-top:1rem}
        input[type=email],input.copy{width:100%;padding:.65rem;font:inherit;border:1px solid #5a6170;border-radius:.3rem}
        button{padding:.65rem 1rem;font:inherit;background:#0a4ea8;color:#fff;border:0;border-radius:.4rem;margin-top:.75rem;cursor:pointer}
        footer{font-size:.875rem;color:#4a4f57}
        @media (min-width:40rem){main{margin-top:1.5rem;border-radius:.5rem}}
        """;

    /// <summary>A whole page; <paramref name="title"/> is plain text (encoded here), <paramref name="main"/> is HTML built with <see cref="Html"/>.</summary>
    public static string Render(string title, string main) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{Html.Text(title)}}</title>
        <style>
        {{Style}}
        </style>
        </head>
        <body>
        <main>
        {{main}}
        </main>
        <footer><p>Open Badges 3.0 credentials: signed, and verifiable by anyone with or without this site.</p></footer>
        </body>
        </html>
        """;
}
