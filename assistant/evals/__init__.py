"""The eval suite: cases, the systems compared (ours and baselines), scoring, the report and the gate."""
