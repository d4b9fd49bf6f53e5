package org.slmworkbench.ui.charts;

/**
 * One configuration tried this session: its held-out perplexity (lower is better) against what it
 * costs in decode latency and in file size.
 */
public record TradeOffPoint(String label, double perplexity, double msPerToken, double sizeMb) {}
