"""The association staff workspace: moderation of provider applications and courses."""
