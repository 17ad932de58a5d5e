from sro.cli import main

main()
