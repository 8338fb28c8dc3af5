from tanu.cli import main

main()
