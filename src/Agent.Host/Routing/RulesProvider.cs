using Microsoft.Extensions.Logging;

namespace Agent.Host.Routing;

/// <summary>
/// The current rules. Loaded at start and again whenever the file changes; a file that does not validate is
/// reported (every error with file:line) and the last good rules stay in force. Destination names in the rules are
/// checked against the configured ones (<c>Agent:Destinations</c>) when they are given.
/// </summary>
public sealed partial class RulesProvider : IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly IReadOnlyCollection<string>? _destinations;
    private readonly FileSystemWatcher? _watcher;
    private readonly Lock _gate = new();
    private Timer? _debounce;
    private volatile RuleSet _current;

    /// <param name="path">The rules file.</param>
    /// <param name="logger">Reports loads and rejected files.</param>
    /// <param name="destinations">Configured destination names; null: not checked.</param>
    public RulesProvider(string path, ILogger<RulesProvider> logger, IReadOnlyCollection<string>? destinations = null)
    {
        _path = Path.GetFullPath(path);
        _logger = logger;
        _destinations = destinations;
        _current = RuleSet.Empty(_path);
        Reload();
        var folder = Path.GetDirectoryName(_path)!;
        if (Directory.Exists(folder))
        {
            _watcher = new FileSystemWatcher(folder, Path.GetFileName(_path)) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
            _watcher.Changed += (_, _) => Schedule();
            _watcher.Created += (_, _) => Schedule();
            _watcher.Renamed += (_, _) => Schedule();
            _watcher.EnableRaisingEvents = true;
        }
    }

    public RuleSet Current => _current;

    public string Path_ => _path;

    /// <summary>Raised after new rules were loaded.</summary>
    public event EventHandler? Reloaded;

    /// <summary>Loads the file now; returns false (keeping the current rules) when it is invalid or unreadable.</summary>
    public bool Reload()
    {
        try
        {
            var rules = RuleParser.Load(_path, _destinations);
            _current = rules;
            LogLoaded(_logger, _path, rules.Version, rules.Rules.Count);
            Reloaded?.Invoke(this, EventArgs.Empty);
            return true;
        }
        catch (RulesFileException e)
        {
            foreach (var error in e.Errors) LogRuleError(_logger, error.ToString());
            LogKeptRules(_logger, _path, e.Errors.Count, _current.Version);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogKeptRules(_logger, _path + ": " + e.Message, 1, _current.Version);
            return false;
        }
    }

    // Editors write files in several steps (truncate, write, rename): wait for the burst to end.
    private void Schedule()
    {
        lock (_gate)
        {
            _debounce ??= new Timer(_ => Reload());
            _debounce.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        lock (_gate) _debounce?.Dispose();
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Routing rules {Path} loaded: version {Version}, {Count} rule(s)")]
    private static partial void LogLoaded(ILogger logger, string path, string version, int count);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Routing rules: {Error}")]
    private static partial void LogRuleError(ILogger logger, string error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Routing rules {Path} rejected ({Count} error(s)); keeping rules version {Version}")]
    private static partial void LogKeptRules(ILogger logger, string path, int count, string version);
}
