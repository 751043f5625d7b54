"""Results: allocation runs and their runner, publication, exports, pabulib import."""
