<?xml version="1.0" encoding="UTF-8"?>
<!--
  The numbers of the notes standing in the text ("a", "b", … "z", "aa"), for the stylesheets that
  print them (HTML, FO). Included, never run alone.

  A note is numbered among the notes of the text that are neither endnotes nor publication
  notes, counting afresh after the start of every document, endnote and front matter: what

    <xsl:number level="any" count="tei:note[not(@place='end' or @type='publication')]"
                from="tei:div[@type='document'] | tei:note[@place='end'] | tei:front" format="a"/>

  gives, except that notes outside the text (of the header, of authority records) are not
  counted. xsl:number walks back from each note to the start of its document, node by node:
  quadratic in the length of a document, which a book of one document, or of chapters without
  documents, makes long (4,000 notes: 5 seconds). Here the notes and the places where the count
  starts afresh are taken once, in document order, and every number is made once and looked up
  by the note's generated id: linear in the text.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="tei exsl">

  <!-- Entries of the trees below, by @k. (A pattern from the root: libxslt builds every key of a
       stylesheet for every document it looks one up in, the TEI too, and searches it by walking the
       whole document, unless the pattern starts from the root.) -->
  <xsl:key name="tt-note" match="/tt-notes/tt-note" use="@k"/>

  <xsl:variable name="tt-text-notes" select="/tei:TEI/tei:text/descendant::tei:note"/>
  <!-- The notes listed after the text: those of the back (with the notes within them), and
       endnotes standing in the text. -->
  <xsl:variable name="tt-endnotes" select="/tei:TEI/tei:text/tei:back/descendant::tei:note[not(ancestor::tei:note)]
                                           | $tt-text-notes[@place='end'][not(ancestor::tei:back or ancestor::tei:note)]"/>
  <!-- The notes that are numbered. -->
  <xsl:variable name="tt-notes-numbered" select="$tt-text-notes[not(@place='end' or @type='publication')]"/>

  <!-- Each note's number, under the key of its generated id (see tt-note-numbering). -->
  <xsl:variable name="tt-note-numbers"><xsl:call-template name="tt-note-numbering"/></xsl:variable>

  <!-- The trees the numbers are made from are variables of this template, not global: libxslt
       frees them when it returns, where a global tree stays for the whole run (20 MB of the
       peak memory of the HTML and FO exports of the 1000× file, which holds 9,000 notes and
       11,000 documents). -->
  <xsl:template name="tt-note-numbering">
    <!-- Each numbered note and each place where the count starts afresh, in document order:
         its position among them all (p); a note also has its generated id (g). One step
         (libxml2 merges a union of large node-sets in the square of their sizes), the names
         tested first (the other conditions only on the few elements that have them). -->
    <xsl:variable name="sequence">
      <xsl:for-each select="/tei:TEI/tei:text/descendant::*[self::tei:note or self::tei:div or self::tei:front]
                            [self::tei:note[@place = 'end' or not(@type = 'publication')] or self::tei:div[@type = 'document']
                             or self::tei:front]">
        <e p="{position()}">
          <xsl:if test="self::tei:note[not(@place='end' or @type='publication')]"><xsl:attribute name="g"><xsl:value-of select="generate-id()"/></xsl:attribute></xsl:if>
        </e>
      </xsl:for-each>
    </xsl:variable>
    <!-- The position of the j-th start (among them all), under the key "r" + j. -->
    <xsl:variable name="starts-tree">
      <tt-notes>
        <xsl:for-each select="exsl:node-set($sequence)/e[not(@g)]">
          <tt-note k="r{position()}" p="{@p}"/>
        </xsl:for-each>
      </tt-notes>
    </xsl:variable>
    <!-- Before the i-th note stand p - i starts, the last of them at the position the key
         "r" + (p - i) gives (none: 0); the note's number is the distance from it. -->
    <xsl:variable name="starts" select="exsl:node-set($starts-tree)"/>
    <tt-notes>
      <xsl:for-each select="exsl:node-set($sequence)/e[@g]">
        <xsl:variable name="p" select="number(@p)"/>
        <xsl:variable name="r" select="concat('r', $p - position())"/>
        <tt-note k="{@g}">
          <xsl:for-each select="$starts">
            <xsl:number value="$p - sum(key('tt-note', $r)/@p)" format="a"/>
          </xsl:for-each>
        </tt-note>
      </xsl:for-each>
    </tt-notes>
  </xsl:template>

  <!-- The number of the current note (a numbered note of the text). -->
  <xsl:template name="tt-note-number">
    <xsl:variable name="g" select="generate-id()"/>
    <xsl:for-each select="exsl:node-set($tt-note-numbers)">
      <xsl:value-of select="key('tt-note', $g)"/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
