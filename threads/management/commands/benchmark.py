"""Time thread pages, replies, votes and imports on synthetic threads of growing size.

Then "cached" (each thread as an anonymous reader gets it: cold, miss, hit, hit ratio) and
"front page" (each sort at 100, 10,000 and 100,000 threads): ``threads/benchmark_scale.py``.

Writes synthetic threads into the configured database and removes them at the end, so
it refuses a database holding threads or users it did not make unless ``--force`` is
given; see ``threads/benchmark.py`` for what each column measures and README.md for how
to read it.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from threads import benchmark, benchmark_scale, benchmark_search


class Command(BaseCommand):
    help = "Benchmark thread pages, replies, votes and imports; prints one table."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", nargs="+", type=int, metavar="N", help="Thread sizes (comments)."
        )
        parser.add_argument("--quick", action="store_true", help="Tiny sizes, for the test suite.")
        parser.add_argument(
            "--repeat",
            type=int,
            default=benchmark.DEFAULT_REPEAT,
            help="Timed runs per figure (median; at least 5).",
        )
        parser.add_argument(
            "--no-search", action="store_true", help="Leave out the search section."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run in a database that holds other threads or users (they are left alone).",
        )

    def handle(self, *args, sizes, quick, repeat, force, no_search, verbosity, **options):
        if repeat < 5:
            raise CommandError("--repeat must be at least 5: the figures are medians.")
        if sizes and min(sizes) < 2:
            raise CommandError("Each size must be at least 2 comments.")
        refusal = benchmark.refusal(tool="the benchmark", force="--force (make bench ARGS=--force)")
        if refusal and not force:
            raise CommandError(refusal)
        sizes = sizes or (benchmark.QUICK_SIZES if quick else benchmark.FULL_SIZES)
        progress = (lambda line: self.stderr.write(line)) if verbosity > 1 else None
        began = time.perf_counter()
        cached = []

        def measure_cached(size, thread_id, viewer):
            cached.append(benchmark_scale.cached_page(size, thread_id, viewer, repeat))

        results = benchmark.run(sizes, repeat=repeat, progress=progress, on_thread=measure_cached)
        self.stdout.write(benchmark.table(results))
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Benchmarked {len(results)} thread sizes in "
                    f"{time.perf_counter() - began:.0f} s (all medians of {repeat} runs)."
                )
            )
        front_sizes = benchmark_scale.QUICK_FRONT_SIZES if quick else benchmark_scale.FRONT_SIZES
        with override_settings(DEBUG=False):
            front = benchmark_scale.front_page(front_sizes, repeat=repeat, progress=progress)
        self.stdout.write("")
        self.stdout.write(benchmark_scale.cached_table(cached))
        self.stdout.write("")
        self.stdout.write(benchmark_scale.front_table(front))
        if not no_search:
            shape = benchmark_search.QUICK if quick else benchmark_search.FULL
            figures = benchmark_search.run(**shape, repeat=repeat, progress=progress)
            self.stdout.write(benchmark_search.report(figures))
