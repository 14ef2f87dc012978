# Read by gunicorn from the directory it starts in (the Procfile's and the image's /app).
logger_class = "kolhub.gunicorn_logging.RedactingLogger"
