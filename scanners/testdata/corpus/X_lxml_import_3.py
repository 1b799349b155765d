from lxml.html.clean import Cleaner

cleaner = Cleaner(scripts=True, javascript=True, style=True)
print(cleaner.clean_html("<p onclick='x()'>hi<script>bad()</script></p>"))
