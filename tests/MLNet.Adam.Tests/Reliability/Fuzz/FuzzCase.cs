using System.Globalization;
using System.Text;
using MLNet.Adam.Trainers;
using MLNet.Adam.Training;

namespace MLNet.Adam.Tests.Reliability.Fuzz;

/// <summary>How a drawn case cancels its token.</summary>
public enum CancellationPlan
{
    /// <summary>Never.</summary>
    None,

    /// <summary>Cancelled before <c>Fit</c> is called.</summary>
    BeforeFit,

    /// <summary>Cancelled from the progress callback at a drawn report.</summary>
    FromProgress,

    /// <summary>Cancelled by a timer on another thread after a drawn delay.</summary>
    FromAnotherThread,
}

/// <summary>Which parts of the input space a generator draws from.</summary>
/// <param name="NonShufflingViews">Views that cannot shuffle themselves (so the trainer must shuffle around them).</param>
/// <param name="HugeThreadCounts">NumberOfThreads up to <see cref="int.MaxValue"/>.</param>
/// <param name="CancelBeforeFit">Tokens cancelled before <c>Fit</c>.</param>
public sealed record FuzzScope(bool NonShufflingViews, bool HugeThreadCounts, bool CancelBeforeFit)
{
    /// <summary>Everything except what the training engine's rewrite covers (see <see cref="Engine"/>).</summary>
    public static FuzzScope Core { get; } = new(false, false, false);

    /// <summary>Everything, including non-shuffling views, huge thread counts and early cancellation.</summary>
    public static FuzzScope Engine { get; } = new(true, true, true);
}

/// <summary>
/// One randomly drawn training job: a schema, rows with hostile values, options, injected cursor faults and a
/// cancellation plan, all determined by <see cref="Seed"/> (replay one with <c>MLNET_ADAM_FUZZ_SEED</c>).
/// </summary>
public sealed class FuzzCase
{
    private static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 1e30f, -1e30f,
        1e-40f, -1e-42f, float.Epsilon, 0f, -0f, 1e-20f, 3e12f,
    ];

    private readonly StringBuilder _description = new();

    private FuzzCase(int seed, FuzzScope scope)
    {
        Seed = seed;
        var random = new Random(seed);
        Classes = random.Next(4) == 0 ? 0 : random.Next(2, 7); // 0: binary (Boolean label)
        Features = random.Next(8) == 0 ? random.Next(30, 80) : random.Next(1, 10);
        Sparse = random.Next(3) == 0;
        HasWeight = random.Next(3) == 0;
        CanShuffle = !scope.NonShufflingViews || random.Next(2) == 0;
        int rows = random.Next(10) switch { 0 => 0, 1 => random.Next(1, 4), 2 => random.Next(300, 1500), _ => random.Next(4, 300) };
        var profile = new ValueProfile(random);
        Rows = Enumerable.Range(0, rows).Select(_ => DrawRow(random, profile)).ToList();
        if (random.Next(4) == 0)
        {
            ValidationRows = Enumerable.Range(0, random.Next(0, 120)).Select(_ => DrawRow(random, profile)).ToList();
        }

        if (random.Next(5) == 0)
        {
            TrainFault = new CursorFault(random.Next(3) == 0 ? null : random.Next(0, 4), random.Next(0, Math.Max(1, rows + 2)));
        }

        if (ValidationRows is not null && random.Next(5) == 0)
        {
            ValidationFault = new CursorFault(random.Next(2) == 0 ? null : random.Next(0, 3), random.Next(0, ValidationRows.Count + 2));
        }

        Cancellation = random.Next(10) switch
        {
            0 when scope.CancelBeforeFit => CancellationPlan.BeforeFit,
            1 => CancellationPlan.FromProgress,
            2 => CancellationPlan.FromAnotherThread,
            _ => CancellationPlan.None,
        };
        CancelAtReport = random.Next(0, 40);
        CancelAfter = TimeSpan.FromMilliseconds(random.Next(0, 60));
        Options = DrawOptions(random, scope);
        _description.Insert(0, string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {(Classes == 0 ? "binary" : $"{Classes} classes")}, {Features} features, {(Sparse ? "sparse" : "dense")}, {Rows.Count} rows, " +
            $"weight column {HasWeight}, validation {ValidationRows?.Count.ToString(CultureInfo.InvariantCulture) ?? "none"}, canShuffle {CanShuffle}, " +
            $"train fault {TrainFault?.ToString() ?? "none"}, validation fault {ValidationFault?.ToString() ?? "none"}, cancellation {Cancellation}; values {profile}; options:"));
    }

    public int Seed { get; }

    /// <summary>0 for a binary (Boolean label) job, else the key count of the label.</summary>
    public int Classes { get; }

    public int Features { get; }

    public bool Sparse { get; }

    public bool HasWeight { get; }

    public bool CanShuffle { get; }

    public List<InstrumentedRow> Rows { get; }

    public List<InstrumentedRow>? ValidationRows { get; }

    public CursorFault? TrainFault { get; }

    public CursorFault? ValidationFault { get; }

    public CancellationPlan Cancellation { get; }

    public int CancelAtReport { get; }

    public TimeSpan CancelAfter { get; }

    /// <summary>Sets the drawn options on a trainer's options object (columns, hyperparameters, schedule, ...).</summary>
    public Action<AdamTrainerOptionsBase> Options { get; }

    public string Description => _description.ToString();

    public static FuzzCase Draw(int seed, FuzzScope scope) => new(seed, scope);

    /// <summary>Whether a row reaches the feature checks: its label is present and its weight valid.</summary>
    public bool ReachesFeatures(InstrumentedRow row) =>
        (Classes == 0 || (row.Key >= 1 && row.Key <= Classes)) && (!HasWeight || (row.Weight >= 0 && float.IsFinite(row.Weight)));

    public bool HasBadKey(InstrumentedRow row) => Classes > 0 && row.Key > Classes;

    public bool HasBadShape(InstrumentedRow row)
    {
        if ((row.Length ?? Features) != Features)
        {
            return true;
        }

        // A VBuffer storing as many entries as its length is dense: its indices are not read by anyone.
        if (row.Indices is null || row.Indices.Length == Features)
        {
            return false;
        }

        for (int k = 0; k < row.Indices.Length; k++)
        {
            if (row.Indices[k] < 0 || row.Indices[k] >= Features || (k > 0 && row.Indices[k] <= row.Indices[k - 1]))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Description;

    private static float Pick(Random random, float[] values) => values[random.Next(values.Length)];

    private static int PickInt(Random random, int[] values) => values[random.Next(values.Length)];

    private InstrumentedRow DrawRow(Random random, ValueProfile profile)
    {
        uint key = 0;
        bool flag = random.Next(2) == 0;
        if (Classes > 0)
        {
            key = (uint)random.Next(1, Classes + 1);
            if (random.NextDouble() < profile.MissingLabel)
            {
                key = 0;
            }
            else if (random.NextDouble() < profile.BadKey)
            {
                key = (uint)(Classes + random.Next(1, 4));
            }
        }

        float weight = random.NextDouble() < profile.BadWeight ? Pick(random, [-1f, float.NaN, float.PositiveInfinity, 0f, 1e30f, float.Epsilon]) : (float)(random.NextDouble() * 3);
        float Value(int j)
        {
            if (random.NextDouble() < profile.Special)
            {
                return Pick(random, Specials);
            }

            return profile.ConstantFeature == j ? 0f : (float)((Synthetic(random) * profile.Scale) + ((flag || key % 2 == 1) && j % 2 == 0 ? profile.Scale : 0));
        }

        if (!Sparse)
        {
            var dense = Enumerable.Range(0, Features).Select(Value).ToArray();
            return random.NextDouble() < profile.BadIndex
                ? new InstrumentedRow(key, flag, weight, dense.Append(1f).ToArray(), Length: Features + 1)
                : new InstrumentedRow(key, flag, weight, dense);
        }

        var indices = Enumerable.Range(0, Features).Where(_ => random.NextDouble() < profile.Density).ToList();
        if (random.NextDouble() < profile.BadIndex)
        {
            switch (random.Next(3))
            {
                case 0: indices.Add(Features + random.Next(0, 5)); break;
                case 1: indices.Insert(0, -1 - random.Next(0, 3)); break;
                default: if (indices.Count > 1) { (indices[0], indices[^1]) = (indices[^1], indices[0]); } else { indices.Add(Features + 1); } break;
            }

            // A VBuffer cannot store more entries than its length: drop valid entries to make room for the bad one.
            while (indices.Count > Features)
            {
                indices.RemoveAt(indices.FindIndex(i => i >= 0 && i < Features));
            }
        }

        return new InstrumentedRow(key, flag, weight, indices.Select(Value).ToArray(), indices.ToArray());
    }

    private static double Synthetic(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private Action<AdamTrainerOptionsBase> DrawOptions(Random random, FuzzScope scope)
    {
        var steps = new List<(string Name, Action<AdamTrainerOptionsBase> Set)>();
        void Maybe(double probability, string name, Action<AdamTrainerOptionsBase> set)
        {
            if (random.NextDouble() < probability)
            {
                steps.Add((name, set));
            }
        }

        float Of(params float[] values) => Pick(random, values);

        int epochs = random.Next(1, 6);
        steps.Add(($"NumberOfEpochs={epochs}", o => o.NumberOfEpochs = epochs));
        float lr = Of(1e-4f, 0.01f, 0.1f, 1f, 50f, 1e4f);
        Maybe(0.6, $"LearningRate={lr}", o => o.LearningRate = lr);
        int? batch = random.Next(5) == 0 ? null : PickInt(random, [1, 3, 16, 64, 256, 5000]);
        Maybe(0.7, $"BatchSize={batch}", o => o.BatchSize = batch);
        float eps = Of(1e-8f, 1e-3f, 1f, float.Epsilon);
        Maybe(0.2, $"Epsilon={eps}", o => o.Epsilon = eps);
        float beta1 = Of(0f, 0.5f, 0.9f, 0.999f), beta2 = Of(0f, 0.9f, 0.999f, 0.99999f);
        Maybe(0.2, $"Beta1={beta1}", o => o.Beta1 = beta1);
        Maybe(0.2, $"Beta2={beta2}", o => o.Beta2 = beta2);
        Maybe(0.2, "Amsgrad", o => o.Amsgrad = true);
        float? l2 = random.Next(6) == 0 ? null : Of(0f, 1e-4f, 1f, 1e3f, 1e8f);
        Maybe(0.4, $"L2Regularization={l2}", o => o.L2Regularization = l2);
        float l1 = Of(0f, 1e-3f, 1f, 1e4f);
        Maybe(0.25, $"L1Regularization={l1}", o => o.L1Regularization = l1);
        float decay = Of(0f, 1e-4f, 0.5f, 10f);
        Maybe(0.2, $"WeightDecay={decay}", o => o.WeightDecay = decay);
        Maybe(0.2, "RegularizeBias", o => o.RegularizeBias = true);
        float clip = Of(0f, 1e-3f, 1f, 100f);
        Maybe(0.25, $"GradientClipNorm={clip}", o => o.GradientClipNorm = clip);
        Maybe(0.15, "Shuffle=false", o => o.Shuffle = false);
        var standardization = (FeatureStandardization)random.Next(3);
        Maybe(0.4, $"Standardization={standardization}", o => o.Standardization = standardization);
        int? threads = scope.HugeThreadCounts && random.Next(8) == 0
            ? PickInt(random, [int.MaxValue, 1 << 20, 4096])
            : PickInt(random, [1, 2, 3, 8, 64]);
        Maybe(0.6, $"NumberOfThreads={threads}", o => o.NumberOfThreads = threads);
        float fraction = Of(0.1f, 0.3f, 0.9f);
        Maybe(0.25, $"ValidationFraction={fraction}", o => o.ValidationFraction = fraction);
        int patience = random.Next(1, 4);
        Maybe(0.3, $"EarlyStoppingPatience={patience}", o => o.EarlyStoppingPatience = patience);
        double tolerance = Pick(random, [0f, 1e-4f, 0.5f]);
        Maybe(0.3, $"ConvergenceTolerance={tolerance}", o => o.ConvergenceTolerance = tolerance);
        int checkRows = random.Next(1, 200);
        Maybe(0.15, $"ConvergenceCheckRows={checkRows}", o => o.ConvergenceCheckRows = checkRows);
        Maybe(0.2, "KernelBackend.Managed", o => o.Backend = MLNet.Adam.Kernels.KernelBackend.Managed);
        long budget = random.Next(4) == 0 ? random.Next(1, 20_000) : 0;
        Maybe(0.5, $"MemoryBudget={budget} (streams every epoch when the rows do not fit)", o => o.MemoryBudget = budget);
        int classCount = Math.Max(Classes, 2);
        switch (random.Next(6))
        {
            case 0:
                steps.Add(("ClassWeighting=Balanced", o => o.ClassWeighting = ClassWeighting.Balanced));
                break;
            case 1:
                int length = random.Next(5) == 0 ? classCount + 1 : classCount;
                var weights = Enumerable.Range(0, length).Select(_ => Of(0f, 0.5f, 1f, 4f, 1e6f)).ToArray();
                steps.Add(($"ClassWeighting=Custom [{string.Join(", ", weights)}]", o => { o.ClassWeighting = ClassWeighting.Custom; o.ClassWeights = weights; }));
                break;
            case 2 when random.Next(4) == 0:
                steps.Add(("ClassWeights without Custom", o => o.ClassWeights = [1f, 2f]));
                break;
        }

        var kind = (LearningRateScheduleKind)random.Next(6);
        float warmup = Of(0f, 0.5f, 1f, 2f, 5f, 10f);
        float factor = Of(0.1f, 0.5f, 0.9f);
        Maybe(0.5, $"Schedule={kind} warmup {warmup} factor {factor}", o =>
        {
            o.Schedule.Kind = kind;
            o.Schedule.WarmupEpochs = warmup;
            o.Schedule.Factor = factor;
        });
        Maybe(0.1, "ExampleWeightColumnName=Weight", o => o.ExampleWeightColumnName = "Weight");
        if (HasWeight)
        {
            steps.Add(("ExampleWeightColumnName=Weight", o => o.ExampleWeightColumnName = "Weight"));
        }
        else
        {
            steps.Add(("ExampleWeightColumnName=null", o => o.ExampleWeightColumnName = null));
            Maybe(0.05, "ExampleWeightColumnName=Weight (absent)", o => o.ExampleWeightColumnName = "Weight");
        }

        Maybe(0.03, "FeatureColumnName=Missing", o => o.FeatureColumnName = "Missing");
        Maybe(0.03, "LabelColumnName=Features", o => o.LabelColumnName = "Features");
        if (random.Next(10) == 0)
        {
            (string Name, Action<AdamTrainerOptionsBase> Set)[] invalid =
            [
                ("NumberOfEpochs=0", o => o.NumberOfEpochs = 0), ("LearningRate=-1", o => o.LearningRate = -1),
                ("LearningRate=NaN", o => o.LearningRate = float.NaN), ("BatchSize=0", o => o.BatchSize = 0),
                ("Epsilon=0", o => o.Epsilon = 0), ("Epsilon=-1", o => o.Epsilon = -1), ("Beta1=1", o => o.Beta1 = 1),
                ("Beta2=1.5", o => o.Beta2 = 1.5f), ("L2Regularization=-1", o => o.L2Regularization = -1),
                ("Schedule.Factor=1", o => o.Schedule.Factor = 1), ("NumberOfThreads=0", o => o.NumberOfThreads = 0),
                ("ValidationFraction=1", o => o.ValidationFraction = 1), ("ProgressInterval=-1s", o => o.ProgressInterval = TimeSpan.FromSeconds(-1)),
                ("Schedule=null", o => o.Schedule = null!), ("LabelColumnName=null", o => o.LabelColumnName = null!),
            ];
            steps.Add(invalid[random.Next(invalid.Length)]);
        }
        _description.Append(' ').Append(string.Join("; ", steps.Select(s => s.Name)));
        return o =>
        {
            foreach (var (_, set) in steps)
            {
                set(o);
            }
        };
    }

    /// <summary>How hostile the values of one case are.</summary>
    private sealed class ValueProfile
    {
        public ValueProfile(Random random)
        {
            double Rate(params double[] rates) => rates[random.Next(rates.Length)];
            Special = Rate(0, 0, 0.001, 0.02, 0.2);
            MissingLabel = Rate(0, 0, 0.05, 0.5, 1);
            BadKey = Rate(0, 0, 0, 0.002, 0.05);
            BadWeight = Rate(0, 0.05, 0.5);
            BadIndex = Rate(0, 0, 0, 0.003, 0.05);
            Density = Rate(0.01, 0.1, 0.5, 1);
            Scale = Rate(1e-30, 1e-3, 1, 1, 1, 1e4, 1e20);
            ConstantFeature = random.Next(3) == 0 ? 0 : -1;
        }

        public double Special { get; }

        public double MissingLabel { get; }

        public double BadKey { get; }

        public double BadWeight { get; }

        public double BadIndex { get; }

        public double Density { get; }

        public double Scale { get; }

        public int ConstantFeature { get; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"special {Special}, missing label {MissingLabel}, bad key {BadKey}, bad weight {BadWeight}, bad index {BadIndex}, density {Density}, scale {Scale}, constant feature {ConstantFeature}");
    }
}
