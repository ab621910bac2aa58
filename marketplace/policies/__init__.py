"""Policy matching (政策找人): what a seeker may claim, who qualifies but has not claimed."""
