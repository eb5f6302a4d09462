using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace MLNet.Adam.Benchmarks.ColdStart;

/// <summary>
/// Listens to the runtime's JIT events (keyword 0x10, verbose) and keeps, for every method compiled while
/// <see cref="Recording"/> is on, its name, IL size, tier and the time from MethodJittingStarted (tier from bits 7-9 of MethodFlags) to MethodLoadVerbose
/// on the same thread. Enabling the listener costs JIT of its own: it is created before the measured part, and its
/// numbers are for the breakdown only (the timing runs do not use it).
/// </summary>
internal sealed class JitEventRecorder : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;

    private readonly ConcurrentDictionary<(ulong Method, ulong Thread), (DateTime Start, string Name, int IlSize)> _started = new();

    public ConcurrentQueue<JitRecord> Records { get; } = new();

    public volatile bool Recording;

    public JitEventRecorder()
    {
        // The dictionary's first use compiles its comparer and more: done here, before anything is measured.
        _started[(1, 1)] = (DateTime.UtcNow, string.Empty, 0);
        _started.TryRemove((1, 1), out _);
        Records.Enqueue(new JitRecord(string.Empty, 0, string.Empty, 0, 0));
        Records.TryDequeue(out _);
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!Recording || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        if (e.EventName is "MethodJittingStarted_V1" or "MethodJittingStarted")
        {
            ulong id = Convert.ToUInt64(Get(e, "MethodID"), System.Globalization.CultureInfo.InvariantCulture);
            string name = $"{Get(e, "MethodNamespace")}::{Get(e, "MethodName")}";
            int il = Convert.ToInt32(Get(e, "MethodILSize"), System.Globalization.CultureInfo.InvariantCulture);
            _started[(id, (ulong)e.OSThreadId)] = (e.TimeStamp, name, il);
        }
        else if (e.EventName is "MethodLoadVerbose_V1" or "MethodLoadVerbose_V2" or "MethodLoadVerbose")
        {
            ulong id = Convert.ToUInt64(Get(e, "MethodID"), System.Globalization.CultureInfo.InvariantCulture);
            if (_started.TryRemove((id, (ulong)e.OSThreadId), out var start))
            {
                int flags = Convert.ToInt32(Get(e, "MethodFlags"), System.Globalization.CultureInfo.InvariantCulture);
                string tier = ((flags >> 7) & 0x7) switch
                {
                    1 => "MinOpt",
                    2 => "Optimized",
                    3 => "Tier0",
                    4 => "Tier1",
                    5 => "Tier1-OSR",
                    6 => "Tier0-instrumented",
                    7 => "Tier1-instrumented",
                    _ => "unknown",
                };
                Records.Enqueue(new JitRecord(start.Name, start.IlSize, tier, (e.TimeStamp - start.Start).TotalMilliseconds, e.OSThreadId));
            }
        }
    }

    private static object? Get(EventWrittenEventArgs e, string name)
    {
        int index = e.PayloadNames!.IndexOf(name);
        return index >= 0 ? e.Payload![index] : null;
    }
}

/// <summary>One method compiled by the JIT: its time in milliseconds from the start to the load event.</summary>
internal sealed record JitRecord(string Name, int IlSize, string Tier, double Milliseconds, long Thread);
