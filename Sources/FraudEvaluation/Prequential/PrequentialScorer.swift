import FraudEngine

/// What the prequential driver drives: something that scores a transaction (then learns
/// from it) and learns from labels, in event time. ``Engine`` is one; tests use spies.
public protocol PrequentialScorer: AnyObject {
    /// Scores one transaction, then updates state with it.
    func score(_ transaction: Transaction) throws(EngineError) -> Decision
    /// Applies one label.
    @discardableResult func learn(_ label: Label) -> LabelOutcome
}

extension Engine: PrequentialScorer {}
