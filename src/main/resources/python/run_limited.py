# Runs the Python file given as the first argument with a memory and CPU-time limit, in the
# current (temporary) folder. Generated code is untrusted: the caller opts in and kills it on time.
import resource
import runpy
import sys

limit_bytes = int(sys.argv[2])
cpu_seconds = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
runpy.run_path(sys.argv[1], run_name="__main__")
