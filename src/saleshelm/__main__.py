from saleshelm.cli import main

main()
