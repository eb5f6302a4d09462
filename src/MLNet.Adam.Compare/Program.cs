using MLNet.Adam.Compare.CommandLine;
using MLNet.Adam.Compare.Evaluation;

return CompareCommand.Create(CompareApp.Run).Parse(args).Invoke();
