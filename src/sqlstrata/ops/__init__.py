"""Operations: the vocabulary of schema changes, and the ``op`` facade scripts call."""
