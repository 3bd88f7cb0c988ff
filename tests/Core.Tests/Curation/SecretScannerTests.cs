using AutoRefiner.Core.Curation;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class SecretScannerTests
{
    /// <summary>One planted secret of each kind, in the code it would be found in; made up, shaped like the real ones.</summary>
    public static TheoryData<string, string, string> Planted => new()
    {
        { "private-key", "const string Key = @\"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n-----END RSA PRIVATE KEY-----\";", "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn" },
        { "private-key", "var pem = \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\\n-----END OPENSSH PRIVATE KEY-----\";", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU" },
        { "aws-access-key", "var id = \"AKIAQ3EGRIVKXPLWZR7M\";", "AKIAQ3EGRIVKXPLWZR7M" },
        { "aws-secret-key", "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { "azure-storage-key", "\"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0g=;EndpointSuffix=core.windows.net\"", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi" },
        { "azure-sas-token", "var url = \"https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=Zk9PQkFSQkFaUVVYMTIzNDU2Nzg5MGFiY2RlZmdo%3D\";", "Zk9PQkFSQkFaUVVYMTIzNDU2Nzg5MGFiY2RlZmdo" },
        { "azure-client-secret", "var secret = \"abc8Q~Zk9PQkFSQkFaUVVYMTIzNDU2Nzg5MGFiY2\";", "abc8Q~Zk9PQkFSQkFaUVVYMTIzNDU2Nzg5MGFiY2" },
        { "gcp-api-key", "var key = \"AIzaSyD3k9Xq7Lm2Np8Rt4Vw6Yz1Bc5Df0Gh2Jk\";", "AIzaSyD3k9Xq7Lm2Np8Rt4Vw6Yz1Bc5Df0Gh2Jk" },
        { "gcp-service-account", "{ \"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n\" }", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" },
        { "github-token", "client.Credentials = new Credentials(\"ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567\");", "ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567" },
        { "github-token", "var pat = \"github_pat_11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJK\";", "github_pat_11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJK" },
        { "slack-token", "var token = \"xoxb-2748305012-4839201837-aBcDeFgHiJkLmNoPqRsTuVwX\";", "xoxb-2748305012-4839201837-aBcDeFgHiJkLmNoPqRsTuVwX" },
        { "slack-webhook", "Post(\"https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/aBcDeFgHiJkLmNoPqRsTuVwX\");", "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/aBcDeFgHiJkLmNoPqRsTuVwX" },
        { "stripe-key", "StripeConfiguration.ApiKey = \"sk_live_51HqLyZK2eZvKYlo2CaBcDeFgHiJkLmNoP\";", "sk_live_51HqLyZK2eZvKYlo2CaBcDeFgHiJkLmNoP" },
        { "openai-key", "var api = new OpenAIClient(\"sk-proj-Ab3De5Gh7Jk9Lm1Np3Qr5St7Vw9Xy1Za3Bc5De7Fg9\");", "sk-proj-Ab3De5Gh7Jk9Lm1Np3Qr5St7Vw9Xy1Za3Bc5De7Fg9" },
        { "huggingface-token", "Environment.SetEnvironmentVariable(\"HF\", \"hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\");", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789" },
        { "jwt", "var bearer = \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\";", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c" },
        { "connection-string-password", "var cs = \"Server=db.internal;Database=shop;User Id=app;Password=Tr0ub4dor&3x!;\";", "Tr0ub4dor&3x!" },
        { "url-credentials", "var db = \"postgres://admin:S3cr3tP4ss@db.example.internal:5432/shop\";", "S3cr3tP4ss" },
        { "secret-assignment", "private const string ApiKey = \"q8Zr2Lw7Xv4Nk9Pd3Tj6\";", "q8Zr2Lw7Xv4Nk9Pd3Tj6" },
        { "secret-assignment", "var config = new { clientSecret = \"Gh7$kL2#pQ9wZx4v\" };", "Gh7$kL2#pQ9wZx4v" },
        { "secret-assignment", "\"password\": \"n7Kq2vX9pL4mZ8rT\"", "n7Kq2vX9pL4mZ8rT" },
        { "secret-assignment", "var signingKey = \"Zq8wX3vN7pL2kT9r\";", "Zq8wX3vN7pL2kT9r" },
        { "private-key", "rsa.FromXmlString(\"<RSAKeyValue><Modulus>0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF</Modulus><Exponent>AQAB</Exponent><P>7oWbZ4N2aXQ3kLmP9vR1sT5uW8yZ0cE4gH6jK2nQ</P><D>Kq8Zr2Lw7Xv4Nk9Pd3Tj6Hs1Fb5Mc0Yg8Ue2Wi4Oa7</D></RSAKeyValue>\");", "Kq8Zr2Lw7Xv4Nk9Pd3Tj6Hs1Fb5Mc0Yg8Ue2Wi4Oa7" },
        { "bearer-token", "request.Headers.Add(\"Authorization\", \"Bearer 7fQk2Lr9Vx3Nm8Pz4Tw6Yb1Hd5Jc0Gs\");", "7fQk2Lr9Vx3Nm8Pz4Tw6Yb1Hd5Jc0Gs" },
        { "bearer-token", "client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Bearer\", \"a9Xk3Lm7Qp2Rt8Vw4Yz6Bc1Dn5Fg0Hj\");", "a9Xk3Lm7Qp2Rt8Vw4Yz6Bc1Dn5Fg0Hj" },
        { "basic-auth", "const string Header = \"Authorization: Basic YWRtaW46VHIwdWI0ZG9yJjN4IQ==\";", "YWRtaW46VHIwdWI0ZG9yJjN4IQ==" },
        { "network-credential", "smtp.Credentials = new NetworkCredential(\"mailer@corp\", \"Spring2024!\");", "Spring2024!" },
    };

    [Theory]
    [MemberData(nameof(Planted))]
    public void Scan_EachKind_IsFound_AndRedactionRemovesIt(string kind, string text, string secret)
    {
        var findings = SecretScanner.Scan(text);

        Assert.Contains(findings, f => f.Kind == kind);
        var redacted = SecretScanner.Redact(text, findings);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains($"<secret:{kind}>", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("var password = \"changeme\";")]
    [InlineData("string apiKey = \"<your-api-key>\";")]
    [InlineData("var token = cancellationToken;")]
    [InlineData("if (password.Length < 8) throw new ArgumentException(\"too short\");")]
    [InlineData("var secret = \"your_secret_here\";")]
    [InlineData("var pwd = Console.ReadLine();")]
    [InlineData("var url = \"https://example.com/path?page=2\";")]
    [InlineData("// sk-this is a comment about keys")]
    [InlineData("var task = \"hf_\"; var x = \"AKIA\";")]
    [InlineData("public static string Mask(string password) => new string('*', password.Length);")]
    [InlineData("client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Bearer\", accessToken);")]
    [InlineData("request.Headers.Add(\"Authorization\", \"Bearer \" + token);")]
    [InlineData("var header = $\"Bearer {token}\";")]
    [InlineData("// Send the token in the Authorization header as a bearer token.")]
    [InlineData("smtp.Credentials = new NetworkCredential(user, password);")]
    [InlineData("smtp.Credentials = new NetworkCredential(\"user\", \"<password>\");")]
    [InlineData("var key = \"<RSAKeyValue><Modulus>0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>\";")]
    [InlineData("// Basic authentication is simple: send the user name and password with every request.")]
    [InlineData("/// <summary>Basic AuthenticationHandler for the sample API.</summary>")]
    [InlineData("// Basic ServiceCollection registration")]
    [InlineData("#region Basic CalculatorOperations")]
    [InlineData("// bearer JwtBearerDefaults.AuthenticationScheme")]
    [InlineData("// Scheme: Bearer SecurityTokenHandler")]
    [InlineData("smtp.Credentials = new NetworkCredential(\"user\", \"pass\");")]
    [InlineData("smtp.Credentials = new NetworkCredential(\"admin\", \"admin\");")]
    public void Scan_OrdinaryCode_FindsNothing(string text)
    {
        Assert.Empty(SecretScanner.Scan(text));
    }

    [Fact]
    public void Curator_RedactsSecretsQuotedInTheDetail_OfRejectedSamples()
    {
        var judged = new Model.Judged(
            new Model.Candidate
            {
                Task = "instruct", Instruction = "i", Response = "r", Generator = "g", PromptVersion = "p",
                Provenance = new Model.Provenance("o/r", "a.cs", "", "mit", ""), SeedId = "s",
            },
            Model.Verdict.TestFailed,
            "Assert.Equal() Failure: Expected: \"ghp_R4nd0mT0k3nV4lu3Th4tL00ksR34l1234567\"");

        var curated = new SecretCurator(new AutoRefiner.Core.Config.CurationConfig()).Curate(judged);

        Assert.DoesNotContain("ghp_R4nd0m", curated.Detail, StringComparison.Ordinal);
        Assert.Contains("<secret:github-token>", curated.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Copyright (C) 2003-2021 Dominik Example <dominik@example.org>", "Copyright (C) 2003-2021 Dominik Example <email>")]
    [InlineData("Copyright (C) 2012-2018 someone@example.org", "Copyright (C) 2012-2018 someone@example.org")]
    public void SecretCurator_SeedNotice_KeepsTheHolderButNotAnAddressBesideTheirName(string notice, string kept)
    {
        var seed = new Model.Seed
        {
            Id = "s", Name = "Run", Signature = "void Run()", ContainingType = "class A", Doc = new Model.DocComment { Summary = "Runs." }, Code = "class A { }",
            Provenance = new Model.Provenance("keepass", "A.cs", "", "GPL-2.0-or-later", "") { Notice = notice },
        };

        var curated = new SecretCurator(new AutoRefiner.Core.Config.CurationConfig()).Filter(seed, out _, out _);

        Assert.Equal(kept, curated!.Provenance.Notice);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("<RSAKeyValue><D>")]
    [InlineData("<RSAKeyValue><D>QUJDREVGR0hJSktMTU5PUA==")]
    [InlineData("Bearer ")]
    [InlineData("NetworkCredential(\"\",\"")]
    [InlineData("password=\"")]
    public void Scan_ALongHostileLine_IsFast(string piece)
    {
        var hostile = string.Concat(Enumerable.Repeat(piece, 100_000 / piece.Length));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        SecretScanner.Scan(hostile);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed.TotalSeconds:0.0} s on 100 KB");
    }

    [Fact]
    public void Scan_AnUnclosedRsaKeyFullOfPrivateParts_IsFast()
    {
        var hostile = "<RSAKeyValue>" + string.Concat(Enumerable.Repeat("<D>QUJDREVGR0hJSktMTU5PUA==</D>", 4_000));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Empty(SecretScanner.Scan(string.Concat(Enumerable.Repeat(hostile, 5))));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed.TotalSeconds:0.0} s on 0.6 MB");
    }

    [Fact]
    public void RedactEmails_ReplacesAddresses()
    {
        Assert.Equal("// contact <email> or <email>", SecretScanner.RedactEmails("// contact jane.doe@example.com or ops+alerts@corp.example.org"));
    }
}
