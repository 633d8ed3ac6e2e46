FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3
# The server runs as an unprivileged user that owns nothing but var/ (static files, and the
# SQLite file if someone runs the image without DATABASE_URL): a compromised worker cannot
# rewrite the code it runs.
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin timebridge \
 && mkdir -p var && chown -R timebridge:timebridge var
USER timebridge
EXPOSE 8000
# Migrations on start; gunicorn.conf.py lets McTime's `API_KEY` header through.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c gunicorn.conf.py config.wsgi"]
