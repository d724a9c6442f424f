# Træningsguiden. The two commands: `make run` and `make test`.
.PHONY: run test setup train chat bench soak validate clean prod prod-down

run:            ## set up, train if needed, serve on 127.0.0.1 (Ctrl-C stops)
	@scripts/run.sh

test:           ## set up, then every test: pytest, data validation, training, story tests, end-to-end
	@scripts/test.sh

prod:           ## the production layout on this machine: HAProxy, 2 Rasa, 2 web servers, PostgreSQL, Redis (docs/operations.md)
	@scripts/prod.sh up

prod-down:      ## stop what `make prod` started
	@scripts/prod.sh down

setup:
	@scripts/setup.sh

train: setup
	@scripts/train.sh

chat:           ## chat in the terminal with the assistant that `make run` serves
	@.venv311/bin/python scripts/chat.py

bench: setup    ## ours against a stock `rasa init` bot: latency (1 and 20 users), msg/s, memory, ready and training time
	@scripts/train.sh && .venv311/bin/python scripts/bench.py

soak: setup     ## 50 concurrent conversations for 3 minutes, then every message checked in the tracker store
	@scripts/train.sh && .venv311/bin/python scripts/soak.py

validate: setup
	@.venv311/bin/tg validate

clean:
	rm -rf models build .rasa results
