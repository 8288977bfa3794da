// Newsboard's own small script: enhancements only; every action works without it.
