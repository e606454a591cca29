"""Reading volunteers' reports: a small grammar over the configured metrics' words, pure and without I/O.

    read(text, metrics, today, Policy(days_back=1)) -> Reading
    read_count(text) -> int | Refusal        (one number, for guided steps)

A `Reading` holds what is certain (figures, day, note, day off, add/replace) and, where two readings are possible,
typed `Question`s whose `Choice`s say exactly what choosing them sets; a `Refusal` when the message is refused.
"""
from domain.reading.count import read_count
from domain.reading.days import Policy
from domain.reading.reader import MAX_CHARS, read
from domain.reading.result import Choice, Figures, MetricName, Refusal, Question, Reading, Value
from domain.reading.vocabulary import Vocabulary, vocabulary_for

__all__ = ["read", "read_count", "Policy", "Reading", "Question", "Choice", "Refusal", "MetricName", "Figures",
           "Value", "Vocabulary", "vocabulary_for", "MAX_CHARS"]
