using System.Net;
using System.Net.Sockets;
using Agent.Host.Pipelines;
using Agent.Storage.Queue;

namespace Agent.Host.Tests.Pipelines;

public sealed class NotifyJobTests
{
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<(JobOutcome Outcome, string Body)> PostAsync(int status)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var url = $"http://127.0.0.1:{port}/hook/";
        var payload = $$"""{"url":"{{url}}","seriesInstanceUid":"1.2.3","rule":"ct@1"}""";
        using var http = new HttpClient();
        var run = new NotifyJob(http).RunAsync(new JobLease { Id = 1, Kind = "notify", PayloadJson = payload }, "test", CancellationToken.None);
        var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromMinutes(2));
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        context.Response.StatusCode = status;
        context.Response.Close();
        return (await run, body);
    }

    [Fact]
    public async Task A_webhook_receives_the_decision_as_json_and_2xx_succeeds()
    {
        var (outcome, body) = await PostAsync(204);
        Assert.Null(outcome.Error);
        Assert.Contains("\"seriesInstanceUid\":\"1.2.3\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404, true)]
    [InlineData(503, false)]
    [InlineData(429, false)]
    public async Task Client_errors_are_permanent_and_server_errors_are_retried(int status, bool permanent)
    {
        var (outcome, _) = await PostAsync(status);
        Assert.NotNull(outcome.Error);
        Assert.Equal(permanent, outcome.Permanent);
    }
}
