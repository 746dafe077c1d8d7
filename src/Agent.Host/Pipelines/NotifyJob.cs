using System.Net;
using System.Text;
using System.Text.Json;
using Agent.Host.Jobs;
using Agent.Host.Routing;
using Agent.Storage.Queue;

namespace Agent.Host.Pipelines;

/// <summary>
/// <c>notify</c> jobs (a rule's <c>notify: URL</c>): POSTs the decision as JSON to the webhook. 2xx succeeds; other
/// 4xx answers are permanent (the receiver rejects this request); 5xx, 408, 429 and network errors are retried by
/// the queue with backoff.
/// </summary>
public sealed class NotifyJob(HttpClient http) : IJobHandler
{
    public string Kind => SeriesRouter.NotifyKind;

    public async Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Uri? url;
        try
        {
            using var payload = JsonDocument.Parse(lease.PayloadJson);
            url = payload.RootElement.TryGetProperty("url", out var u) && Uri.TryCreate(u.GetString(), UriKind.Absolute, out var parsed) ? parsed : null;
        }
        catch (JsonException e)
        {
            return new JobOutcome { Error = "payload is not JSON: " + e.Message, Permanent = true };
        }
        if (url is null) return new JobOutcome { Error = "payload has no absolute url", Permanent = true };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            using var content = new StringContent(lease.PayloadJson, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url, content, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new JobOutcome { ResultJson = JsonSerializer.Serialize(new { url = url.ToString(), status = code }) };
            var permanent = code is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
            return new JobOutcome { Error = $"webhook {url} answered {code} {response.ReasonPhrase}", Permanent = permanent };
        }
        catch (HttpRequestException e)
        {
            return new JobOutcome { Error = $"webhook {url}: {e.Message}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new JobOutcome { Error = $"webhook {url}: no answer within 15 s" };
        }
    }
}
