namespace MediaBridge.Sip.Transactions;

/// <summary>The states of RFC 3261 §17 (Calling and Trying are both "started").</summary>
public enum TransactionState
{
    Started,
    Proceeding,
    Completed,
    Confirmed,
    Terminated,
}
