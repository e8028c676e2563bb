namespace JitNotebooks;

/// <summary>
/// One function's code in an arena: <see cref="ArenaFunction"/> in a <see cref="CodeArena"/>
/// (W^X by mprotect) or <see cref="DoubleMappedFunction"/> in a <see cref="DoubleMappedCodeArena"/>
/// (W^X by two views of one file).
/// </summary>
public interface IArenaFunction
{
    /// <summary>Where the first instruction is, in executable memory: the value a function pointer holds.</summary>
    nint Address { get; }

    /// <summary>Bytes of code.</summary>
    int Length { get; }

    /// <summary>True while the code may be called: its arena is alive and it was not freed.</summary>
    bool IsCallable { get; }

    /// <summary>The address, after checking <see cref="IsCallable"/>.</summary>
    /// <exception cref="ObjectDisposedException">The code is gone (arena disposed, or function freed).</exception>
    nint Pointer { get; }

    /// <summary>The bytes as they sit in executable memory.</summary>
    byte[] ReadBytes();
}

/// <summary>
/// Whether code may still be called. A <see cref="CodeArena"/> shares one lifetime among all its
/// functions (ended by Dispose); a <see cref="DoubleMappedCodeArena"/> gives each function its own
/// (ended by Free or Dispose). Wrappers with a faster check of their own (CompiledFunction) watch
/// it and are told when it ends; a watched lifetime keeps its watchers reachable until it ends,
/// which is no longer than their code stays mapped anyway.
/// </summary>
internal sealed class CodeLifetime
{
    private volatile bool _ended;
    private object? _watchers; // null, one ICodeWatcher, or a List of them

    public bool Ended => _ended;

    /// <summary>Calls <see cref="ICodeWatcher.CodeGone"/> on <paramref name="watcher"/> when the lifetime ends (at once if it has).</summary>
    public void Watch(ICodeWatcher watcher)
    {
        lock (this)
        {
            if (!_ended)
            {
                _watchers = _watchers switch
                {
                    null => watcher,
                    List<ICodeWatcher> list => Add(list, watcher),
                    var one => new List<ICodeWatcher> { (ICodeWatcher)one, watcher },
                };
                return;
            }
        }
        watcher.CodeGone();
    }

    public void End()
    {
        object? watchers;
        lock (this)
        {
            if (_ended) return;
            _ended = true;
            (watchers, _watchers) = (_watchers, null);
        }
        if (watchers is ICodeWatcher one) one.CodeGone();
        else if (watchers is List<ICodeWatcher> list) foreach (var w in list) w.CodeGone();
    }

    private static List<ICodeWatcher> Add(List<ICodeWatcher> list, ICodeWatcher watcher)
    {
        list.Add(watcher);
        return list;
    }
}

/// <summary>Something that must know when its code is unmapped or freed.</summary>
internal interface ICodeWatcher
{
    void CodeGone();
}
