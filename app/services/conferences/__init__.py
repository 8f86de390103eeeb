"""Case conferences (Fallkonferenzen): what one conference is about, for reading before it."""
