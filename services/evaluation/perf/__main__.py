from services.evaluation.perf.run import main

main()
