package org.slmworkbench.tokenizer;

/** An entry of a {@code tokenizer.json}'s {@code added_tokens}. */
record AddedToken(int id, String content) {}
