"""The HTTP resources by area; each takes the collaborators it needs when it is made."""
