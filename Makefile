# The two commands of the README.
.PHONY: demo test lock

demo:  ## set up and run the main job on the bundled model and corpus
	scripts/setup.sh
	.venv/bin/kizashi demo

test:  ## set up everything (venv, PostgreSQL, chromium) and run the tests
	scripts/test.sh

lock:  ## regenerate the lock files from pyproject.toml
	.venv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	.venv/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml
