// Placeholder until the runner issue lands.
Console.WriteLine("JitNotebooks runner: not implemented yet.");
return 1;
