"""Export threads to our forum JSON format (see README, "Forum JSON format").

``import_thread`` reads the file back: into an empty database it reproduces the threads
exactly, and exporting them again gives the same file.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from threads.exporting import export_data
from threads.importers import forum_json
from threads.models import Thread


class Command(BaseCommand):
    help = "Write one thread (or --all) as forum JSON to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("thread_id", nargs="?", type=int, help="The thread's id.")
        parser.add_argument(
            "--all", dest="all_threads", action="store_true", help="Every thread, in one file."
        )
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, thread_id, all_threads, output, verbosity, **options):
        if all_threads == (thread_id is not None):
            raise CommandError("Give either a THREAD_ID or --all.")
        threads = Thread.objects.select_related("author").order_by("pk")
        if not all_threads:
            threads = threads.filter(pk=thread_id)
            if not threads:
                raise CommandError(f"Thread {thread_id} does not exist.")
        data = export_data(threads)
        text = forum_json.dumps(data)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot write ({error.strerror})") from None
        if verbosity:
            comments = sum(len(thread["comments"]) for thread in data["threads"])
            count = len(data["threads"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported {count} thread{'s' * (count != 1)}, {comments} comments to {output}."
                )
            )
