execv('/bin/ls', [])
