"""Small helpers that every layer may import (models, services, web): time and money."""
