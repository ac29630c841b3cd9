"""The questions that follow a ranking (goal, diff, sensitivity): not built yet."""
